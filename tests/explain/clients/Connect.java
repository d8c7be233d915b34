// pgjdbc client for tests/explain: connects with the JDBC URL in args[0] and prints CONNECTED,
// or the SQLException as a user would paste it from a stack trace: "class: message" and then
// one "Caused by: class: message" line per cause (the "at ..." frames left out).
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

public class Connect {
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println(org.postgresql.util.DriverInfo.DRIVER_VERSION + " (Java "
                    + System.getProperty("java.version") + ")");
            return;
        }
        try (Connection c = DriverManager.getConnection(args[0])) {
            c.createStatement().execute("select 1");
            System.out.println("CONNECTED");
        } catch (SQLException e) {
            StringBuilder out = new StringBuilder(e.toString());
            Throwable cause = e.getCause();
            for (int depth = 0; cause != null && depth < 10; depth++) {
                out.append("\nCaused by: ").append(cause.toString());
                cause = cause.getCause();
            }
            System.out.println(out);
            System.exit(1);
        }
    }
}
