// SPDX-License-Identifier: Apache-2.0
import { PauseCommand } from '../pause-command.js';

export default class Pause extends PauseCommand {
  static override summary = 'Pause all processes within one or more containers';
  protected readonly action = 'pause';
}
