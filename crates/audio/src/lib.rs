//! medlyt audio (to be written).
