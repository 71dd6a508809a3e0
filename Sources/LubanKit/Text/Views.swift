// MARK: - Listings and detail views

/// The tables and detail texts of the looking commands, one extension in each feature's folder.
/// Pure: records in, text out.
public enum Views {}
