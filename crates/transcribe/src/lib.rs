//! medlyt transcribe (to be written).
