// The example docs page's own use of the JS API: no page, no element, just calls.
import init, { parseConnectionString, generateRoleScript } from "./pg-preflight-web.js";

await init();
const analysis = parseConnectionString("postgresql://reporting@db.example.com/app?sslmode=require");
const role = await generateRoleScript({
  dialect: "postgres", serverVersion: 16, database: "app", role: "reporting",
  schemas: ["reporting"], ownerRole: "app_owner", clientCidrs: ["203.0.113.0/24"],
});
const grantLines = (role.sql ?? "").split("\n").filter((line) => line.startsWith("GRANT")).join("\n");
document.getElementById("api-output").textContent =
  `parseConnectionString(…).diagnostics: ${analysis.diagnostics.map((d) => d.code).join(", ")}\n` +
  `generateRoleScript(…): ok=${role.ok}, ${role.sql.split("\n").length} lines, grants:\n${grantLines}\n` +
  `(a generated password came back once in role.password; it is not shown here)`;
