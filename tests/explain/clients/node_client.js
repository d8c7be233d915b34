// node-postgres client for tests/explain: `node node_client.js URL` connects with the
// postgres:// URL as given (pg-connection-string reads sslrootcert/sslcert/sslkey from it) and
// prints CONNECTED, or the error as `String(err)` (what `console.log(err.toString())` or the first
// line of an uncaught error shows) followed by `code: '...'` when the error has a code.
// `node node_client.js --version` prints pg's, Node's and OpenSSL's versions.
const path = require('path')
const modules = process.env.EXPLAIN_NODE_MODULES || path.join(__dirname, '../../../target/explain/node/node_modules')
const pg = require(path.join(modules, 'pg'))

if (process.argv[2] === '--version') {
  const v = require(path.join(modules, 'pg/package.json')).version
  const cs = require(path.join(modules, 'pg-connection-string/package.json')).version
  console.log(`${v} (pg-connection-string ${cs}, Node ${process.version}, OpenSSL ${process.versions.openssl})`)
  process.exit(0)
}

function report(err) {
  let text = String(err)
  if (err && err.code) text += `\ncode: '${err.code}'`
  console.log(text)
  process.exit(1)
}

async function main() {
  let client
  try {
    client = new pg.Client({ connectionString: process.argv[2], connectionTimeoutMillis: 10000 })
  } catch (err) {
    report(err)
  }
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    await client.end()
    console.log('CONNECTED')
  } catch (err) {
    report(err)
  }
}
main()
