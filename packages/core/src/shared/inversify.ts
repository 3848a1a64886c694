// SPDX-License-Identifier: Apache-2.0
// The one inversify every plugin binds with. Plugins import it from here rather than depending on inversify
// themselves, so a plugin never brings a second major version with a different module API.
import 'reflect-metadata';
export * from 'inversify';
