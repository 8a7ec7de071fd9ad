/** jstat ships no types; this declares the part the analysis uses. */
declare module 'jstat' {
  export const jStat: {
    studentt: {
      /** Quantile: the x with P(T ≤ x) = p for Student's t with `dof` degrees of freedom (fractional allowed). */
      inv(p: number, dof: number): number;
      cdf(x: number, dof: number): number;
    };
  };
}
