// SPDX-License-Identifier: Apache-2.0
import { PauseCommand } from '../pause-command.js';

export default class Unpause extends PauseCommand {
  static override summary = 'Unpause all processes within one or more containers';
  protected readonly action = 'unpause';
}
