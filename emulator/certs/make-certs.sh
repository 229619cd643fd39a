#!/usr/bin/env bash
# Regenerates the TEST-ONLY certificates and keys used by the Media Services emulator.
# Never trust ca.pem outside the test suite: its private key is checked in next to it.
# Usage: emulator/certs/make-certs.sh   (needs openssl 1.1.1 or newer; validity 100 years)
set -euo pipefail
cd "$(dirname "$0")"
DAYS=36500
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Test CA
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
  -keyout ca-key.pem -out ca.pem \
  -subj "/CN=ams-job-wait test CA (never trust outside tests)" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash"

# Server certificate for every emulator listener (by IP and by proxied name)
cat > "$tmp/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
authorityKeyIdentifier=keyid
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3,IP:127.0.0.4,IP:127.0.0.5,IP:127.0.0.6,IP:127.0.0.7,IP:127.0.0.8,IP:127.0.0.9,DNS:media.global.test,DNS:acct1.restv2.emu.media.test,DNS:login.emu.test,DNS:token.actions.emu.test,DNS:evil.example.test
EXT
openssl req -newkey rsa:2048 -nodes -sha256 -keyout server-key.pem -out "$tmp/server.csr" \
  -subj "/CN=ams-job-wait emulator"
openssl x509 -req -in "$tmp/server.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
  -CAserial "$tmp/ca.srl" -days "$DAYS" -sha256 -extfile "$tmp/server.ext" -out server.pem

# Client certificates: self-signed certificate + PKCS#8 private key in one PEM, the way a user
# pastes a certificate secret. client.pem is registered with the emulator, client-other.pem is not.
make_client() {
  local out=$1 cn=$2
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
    -keyout "$tmp/$out.key" -out "$tmp/$out.crt" -subj "/CN=$cn"
  openssl pkcs8 -topk8 -nocrypt -in "$tmp/$out.key" -out "$tmp/$out.p8"
  cat "$tmp/$out.crt" "$tmp/$out.p8" > "$out"
}
make_client client.pem ams-job-wait-test-client
make_client client-other.pem ams-job-wait-test-client-unregistered

# Key the emulator signs GitHub OIDC tokens with
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out github-oidc-key.pem

echo "wrote: $(ls *.pem | tr '\n' ' ')"
