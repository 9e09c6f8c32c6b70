#!/usr/bin/env bash
# A development CA and certificates for TLS between silos, workers and console clients (openssl), in DIR (default
# .oq/certs):
#   ca.crt             the CA's certificate: give it to every process as --tls-ca (ca.key, its key, stays here)
#   silo.pfx           a silo's certificate and key (server and client use: silos connect to each other): --tls-cert
#   worker.pfx         a worker's client certificate, for a silo started with --mutual-tls
#   client.pfx         the console's client certificate, likewise
# Each .pfx is protected by $PASSWORD (default: a random one, written to DIR/password; pass it as
# ORLEANSQUEUE_TLS_CERT_PASSWORD or --tls-cert-password). HOSTS adds names and addresses to the silo's certificate
# (e.g. HOSTS="queue1.internal,10.0.0.5"); silos and clients check what issued a certificate, not its names.
# For development and tests only: in production, issue the certificates from your own CA and keep its key elsewhere.
set -euo pipefail

dir=${1:-.oq/certs}
days=${DAYS:-825}
mkdir -p "$dir"
cd "$dir"
if [ -z "${PASSWORD:-}" ]; then
  PASSWORD=$(openssl rand -hex 16)
fi
umask 077
printf '%s\n' "$PASSWORD" > password

openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days "$days" -keyout ca.key -out ca.crt \
  -subj "/CN=OrleansQueue development CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

san="DNS:localhost,IP:127.0.0.1,IP:::1"
IFS=',' read -ra extra <<< "${HOSTS:-}"
for h in "${extra[@]}"; do
  [ -z "$h" ] && continue
  if [[ "$h" =~ ^[0-9.]+$ || "$h" == *:* ]]; then san="$san,IP:$h"; else san="$san,DNS:$h"; fi
done

issue() { # name, extendedKeyUsage, subjectAltName
  local name=$1 usage=$2 alt=$3
  openssl req -new -nodes -newkey rsa:2048 -keyout "$name.key" -out "$name.csr" -subj "/CN=orleansqueue-$name" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$usage" "$alt" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" -sha256 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  openssl pkcs12 -export -in "$name.crt" -inkey "$name.key" -certfile ca.crt -name "orleansqueue-$name" \
    -out "$name.pfx" -passout "pass:$PASSWORD"
  rm -f "$name.csr" "$name.ext" "$name.key"
}

issue silo "serverAuth,clientAuth" "$san"
issue worker "clientAuth" "DNS:orleansqueue-worker"
issue client "clientAuth" "DNS:orleansqueue-client"
chmod 644 ca.crt

echo "certificates in $(pwd): ca.crt silo.pfx worker.pfx client.pfx (password in $(pwd)/password)"
echo "silo SHA-256 (for --tls-pin): $(openssl x509 -in silo.crt -noout -fingerprint -sha256 | cut -d= -f2)"
