//! Entity resolution: declarative comparisons, EM-estimated Fellegi-Sunter model, blocking, clustering records into persons, incremental resolution.
