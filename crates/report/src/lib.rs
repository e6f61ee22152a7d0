//! medlyt report (to be written).
