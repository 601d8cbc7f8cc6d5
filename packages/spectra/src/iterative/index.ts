// LinearOperator and iterative methods (issue 3).
export {};
