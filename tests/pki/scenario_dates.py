"""What the openssl-generated certificate scenarios share (openssl-differential.py and
check-scenarios.py): the validation time, the validity windows they draw from, and the
`openssl ca` configuration that sets exact dates."""

AT = "20260601000000Z"
AT_EPOCH = 1780272000  # 2026-06-01T00:00:00Z, for openssl verify -attime
AT_RFC3339 = "2026-06-01T00:00:00Z"
START, END = "20200101000000Z", "20350101000000Z"
EXPIRED = ("20150101000000Z", "20240101000000Z")
FUTURE = ("20270101000000Z", "20350101000000Z")

# A throwaway CA database for `openssl ca`, the only OpenSSL 3.0 command that sets exact dates.
CNF = """[ ca ]
default_ca = the_ca
[ the_ca ]
dir = {dir}
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
default_md = sha256
policy = anything
unique_subject = no
email_in_dn = no
[ anything ]
commonName = supplied
organizationName = optional
"""
