#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// This process's environment, read one variable at a time with `getenv`:
/// `ProcessInfo.processInfo.environment` copies every variable into a dictionary (and sets up
/// CoreFoundation) on the way to a one-mark `attend`, which reads four of them.
public enum ProcessEnvironment {
    /// The value of variable `name`, or nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The value of variable `name`, or nil when it is not set or empty.
    public static func nonEmpty(_ name: String) -> String? {
        value(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}
