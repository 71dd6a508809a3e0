/// The version `luban --version` prints.
public enum LubanVersion {
    public static let string = "0.1.0"
}
