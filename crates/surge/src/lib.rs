//! Surge detection over count series: Farrington Flexible (original and Noufaily), EARS C1/C2/C3, negative-binomial GLR/CUSUM.
