// Fast dense float64 eigensolvers (issue 4). Owned by the dense-eigensolver work.
export {};
