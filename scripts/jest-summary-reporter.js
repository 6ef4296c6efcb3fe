// Prints one plain closing line ("jest: N passed, N failed, N skipped") that CI
// tooling reads regardless of the runner's own summary format.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites || 0);
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`,
    );
    if (results.numFailedTestSuites > 0 && results.numFailedTests === 0) {
      process.stdout.write(`(${results.numFailedTestSuites} test suite(s) failed to run)\n`);
    }
  }
}
module.exports = SummaryReporter;
