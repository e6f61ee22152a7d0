//! medlyt analysis (to be written).
