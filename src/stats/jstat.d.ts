/**
 * The part of jstat 1.9 that ablate uses. jstat ships no type declarations; this declares only the
 * distribution functions called from src/stats, with the argument order jstat documents.
 */
declare module 'jstat' {
  interface JStatDistributions {
    studentt: {
      /** P(T <= x) for Student's t with `df` degrees of freedom (df may be fractional). */
      cdf(x: number, df: number): number
      /** Density at x. */
      pdf(x: number, df: number): number
      /** Quantile: x with P(T <= x) = p. */
      inv(p: number, df: number): number
    }
    noncentralt: {
      /** P(T <= x) for the noncentral t with `df` degrees of freedom and noncentrality `ncp`. */
      cdf(x: number, df: number, ncp: number): number
    }
    normal: {
      cdf(x: number, mean: number, sd: number): number
      inv(p: number, mean: number, sd: number): number
    }
    /** Natural logarithm of the gamma function. */
    gammaln(x: number): number
  }

  const jStat: JStatDistributions
  export default jStat
}
