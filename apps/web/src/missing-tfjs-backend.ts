// Stands in for a tfjs backend package that could not be found when the site was built (see scripts/tfjs-aliases.ts):
// loading it fails with one line, and selectBackend moves on to the next backend.
throw new Error('this backend was not found when the site was built');
