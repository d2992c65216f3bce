//! Safe Transaction Builder batch files.
