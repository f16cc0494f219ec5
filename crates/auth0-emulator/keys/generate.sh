#!/bin/sh
# Writes pool.json: RSA-2048 signing keys for the emulator, each with a
# self-signed certificate (CN = the emulator's stand-in tenant domain), the
# JWKS fields precomputed (§S1.4: n, e, x5t base64url; x5c standard base64).
# Generating RSA keys in a debug build takes seconds, so the emulator ships
# these and walks through them on rotation. Run from this folder:
#   sh generate.sh > pool.json
set -eu
COUNT=${COUNT:-8}
CN=${CN:-auth0-emulator.local}
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[\n'
i=1
while [ "$i" -le "$COUNT" ]; do
  openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$tmp/key.pem" -outform DER -out "$tmp/key.der"
  openssl req -new -x509 -key "$tmp/key.pem" -subj "/CN=$CN" -days 36500 -outform DER -out "$tmp/cert.der"
  n=$(openssl rsa -in "$tmp/key.pem" -modulus -noout | cut -d= -f2 | xxd -r -p | b64url)
  x5t=$(openssl dgst -sha1 -binary "$tmp/cert.der" | b64url)
  sep=','; [ "$i" -eq "$COUNT" ] && sep=''
  printf ' {"pkcs8":"%s",\n  "n":"%s","e":"AQAB",\n  "x5t":"%s",\n  "x5c":"%s"}%s\n' \
    "$(base64 -w0 "$tmp/key.der")" "$n" "$x5t" "$(base64 -w0 "$tmp/cert.der")" "$sep"
  i=$((i + 1))
done
printf ']\n'
