// SPDX-License-Identifier: Apache-2.0
// image-puller.ts still imports the limit from here: the file is being reworked in parallel, so its import moves to
// ../shared/concurrency-limit.js with that work and this file goes then.
export { ConcurrencyLimit } from '../shared/concurrency-limit.js';
