//! Identity matching: explained Fellegi-Sunter scoring of identity pairs, calibration, recall-safe candidate index, screening.
