// placeholder until the demo is written
public enum DemoProgram {
    public static func run(databasePath: String, log: (String) -> Void) throws(LubanError) -> String { "" }
}
