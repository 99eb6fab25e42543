/**
 * Thrown for bad metric input: mismatched lengths, empty input, NaN scores,
 * unknown option values, boxes of negative size. `argument` names the
 * offending argument (as the user passed it) so callers can point at it.
 */
export class MetricInputError extends Error {
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = 'MetricInputError';
    this.argument = argument;
  }
}
