"""Certificates and keys for tests/explain, made with the openssl CLI under a run directory that
is kept after the run (the captured lines point at these files).

Two roots (ca1 trusted by the clients and the server's ssl_ca_file, ca2 foreign), an intermediate
under ca1, server leaves in every failure shape, and client certificates and keys; each key also as
DER PKCS#8 (.pk8) for pgjdbc 42.5.5, which reads no PEM keys."""
import os
import subprocess

KEY_PASSWORD = "explain-pass"
DAY = "%Y%m%d%H%M%SZ"


def _run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-1500:]}")
    return p.stdout


class Pki:
    def __init__(self, base):
        self.base = base
        os.makedirs(base, exist_ok=True)

    def p(self, name):
        return os.path.join(self.base, name)

    def key(self, name):
        path = self.p(f"{name}.key")
        _run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
              "-out", path])
        os.chmod(path, 0o600)
        pk8 = self.p(f"{name}.pk8")
        _run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", path, "-outform", "DER", "-out", pk8])
        os.chmod(pk8, 0o600)
        return path

    def root(self, name, cn):
        key = self.key(name)
        crt = self.p(f"{name}.crt")
        _run(["openssl", "req", "-x509", "-new", "-key", key, "-out", crt, "-days", "3650",
              "-subj", f"/CN={cn}", "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        self._ca_db(name)
        return crt

    def _ca_db(self, name):
        d = self.p(f"{name}.db")
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, "index.txt"), "w").close()
        with open(os.path.join(d, "serial"), "w") as f:
            f.write("1000\n")
        with open(os.path.join(d, "ca.cnf"), "w") as f:
            f.write(f"""[ca]
default_ca = this
[this]
dir = {d}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
certificate = {self.p(name + '.crt')}
private_key = {self.p(name + '.key')}
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
[anything]
commonName = supplied
""")

    def issue(self, name, cn, ca, ext, start=None, end=None, key=None):
        """A certificate for `cn` signed by `ca` with the extension lines `ext`; `start`/`end`
        are datetimes (default: yesterday, in 400 days)."""
        import datetime as dt
        now = dt.datetime.now(dt.timezone.utc)
        start = start or now - dt.timedelta(days=1)
        end = end or now + dt.timedelta(days=400)
        key = key or self.key(name)
        csr = self.p(f"{name}.csr")
        _run(["openssl", "req", "-new", "-key", key, "-subj", f"/CN={cn}", "-out", csr])
        extfile = self.p(f"{name}.ext")
        with open(extfile, "w") as f:
            f.write("\n".join(ext) + "\n")
        crt = self.p(f"{name}.crt")
        d = self.p(f"{ca}.db")
        _run(["openssl", "ca", "-batch", "-notext", "-config", os.path.join(d, "ca.cnf"),
              "-in", csr, "-out", crt, "-extfile", extfile,
              "-startdate", start.strftime(DAY), "-enddate", end.strftime(DAY)])
        return crt

    def self_signed(self, name, cn, sans):
        key = self.key(name)
        crt = self.p(f"{name}.crt")
        _run(["openssl", "req", "-x509", "-new", "-key", key, "-out", crt, "-days", "400",
              "-subj", f"/CN={cn}", "-addext", f"subjectAltName={sans}",
              "-addext", "basicConstraints=critical,CA:FALSE",
              "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
              "-addext", "extendedKeyUsage=serverAuth"])
        return crt

    def encrypted(self, key, name):
        """`key` encrypted with KEY_PASSWORD: PEM PKCS#8 (.key) and DER PKCS#8 (.pk8)."""
        out = self.p(f"{name}.key")
        _run(["openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", key, "-out", out,
              "-passout", f"pass:{KEY_PASSWORD}"])
        os.chmod(out, 0o600)
        pk8 = self.p(f"{name}.pk8")
        # pgjdbc 42.5.5 on Java 17 cannot decrypt PBES2 (OpenSSL 3's default): "Could not find a
        # java cryptographic algorithm: Cannot find any provider supporting PBES2." The legacy
        # PKCS#12 scheme it can read:
        _run(["openssl", "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", key, "-outform", "DER",
              "-out", pk8, "-passout", f"pass:{KEY_PASSWORD}"])
        os.chmod(pk8, 0o600)
        return out


SERVER_EXT = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment",
              "extendedKeyUsage=serverAuth"]
CLIENT_EXT = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment",
              "extendedKeyUsage=clientAuth"]
LOCAL_SAN = "subjectAltName=DNS:localhost,IP:127.0.0.1"


def build(base):
    """Makes every file; returns a dict name -> absolute path."""
    import datetime as dt
    k = Pki(base)
    f = {}
    f["ca1"] = k.root("ca1", "Explain Test Root CA 1")
    f["ca2"] = k.root("ca2", "Explain Test Root CA 2")
    f["int1"] = k.issue("int1", "Explain Test Intermediate CA 1", "ca1",
                        ["basicConstraints=critical,CA:TRUE,pathlen:0",
                         "keyUsage=critical,keyCertSign,cRLSign"])
    k._ca_db("int1")
    f["int1.key"] = k.p("int1.key")
    for name in ("server-good", "server-expired", "server-future", "server-wrongname",
                 "server-cnonly", "server-by-int"):
        f[name + ".key"] = k.key(name)
    now = dt.datetime.now(dt.timezone.utc)
    f["server-good"] = k.issue("server-good", "localhost", "ca1", SERVER_EXT + [LOCAL_SAN],
                               key=f["server-good.key"])
    f["server-expired"] = k.issue("server-expired", "localhost", "ca1", SERVER_EXT + [LOCAL_SAN],
                                  start=now - dt.timedelta(days=400), end=now - dt.timedelta(days=30),
                                  key=f["server-expired.key"])
    f["server-future"] = k.issue("server-future", "localhost", "ca1", SERVER_EXT + [LOCAL_SAN],
                                 start=now + dt.timedelta(days=30), end=now + dt.timedelta(days=400),
                                 key=f["server-future.key"])
    f["server-wrongname"] = k.issue("server-wrongname", "db.example.test", "ca1",
                                    SERVER_EXT + ["subjectAltName=DNS:db.example.test"],
                                    key=f["server-wrongname.key"])
    f["server-cnonly"] = k.issue("server-cnonly", "localhost", "ca1", SERVER_EXT,
                                 key=f["server-cnonly.key"])
    f["server-by-int"] = k.issue("server-by-int", "localhost", "int1", SERVER_EXT + [LOCAL_SAN],
                                 key=f["server-by-int.key"])
    f["server-selfsigned"] = k.self_signed("server-selfsigned", "localhost",
                                           "DNS:localhost,IP:127.0.0.1")
    f["server-selfsigned.key"] = k.p("server-selfsigned.key")

    f["client.key"] = k.key("client")
    f["client"] = k.issue("client", "certuser", "ca1", CLIENT_EXT, key=f["client.key"])
    f["client-other-ca.key"] = k.key("client-other-ca")
    f["client-other-ca"] = k.issue("client-other-ca", "certuser", "ca2", CLIENT_EXT,
                                   key=f["client-other-ca.key"])
    f["client-wrong-user.key"] = k.key("client-wrong-user")
    f["client-wrong-user"] = k.issue("client-wrong-user", "someoneelse", "ca1", CLIENT_EXT,
                                     key=f["client-wrong-user.key"])
    f["unrelated.key"] = k.key("unrelated")
    # the client's key readable by others: a copy of the right key, mode 0644
    for ext in ("key", "pk8"):
        src, dst = k.p(f"client.{ext}"), k.p(f"client-0644.{ext}")
        with open(src, "rb") as a, open(dst, "wb") as b:
            b.write(a.read())
        os.chmod(dst, 0o644)
    f["client-0644.key"] = k.p("client-0644.key")
    f["client-encrypted.key"] = k.encrypted(f["client.key"], "client-encrypted")
    f["missing-ca"] = k.p("does-not-exist/root.crt")
    return f


def pk8(path):
    """The DER PKCS#8 twin of a PEM key made here."""
    return path[:-4] + ".pk8" if path and path.endswith(".key") else path
