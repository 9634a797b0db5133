//! Evaluation metrics: ROC AUC, recall at fixed false-positive rate, F1, pairwise and B-cubed cluster metrics, per-group false-positive rates.
