//! medlyt models (to be written).
