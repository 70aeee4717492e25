# Sourced by stack.sh: the secure side of the local stack.
#
# Kafka always gets two more listeners beside PLAINTEXT (cheap, and a running broker never needs a
# restart to go secure): SASL_SSL with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN users, and SSL that
# requires a client certificate (mutual TLS without SASL). With --secure, nginx also serves
# Elasticsearch over TLS, accepting basic authentication, an API key or a client certificate (the
# integ-test distribution has no security plugin). A throw-away CA signs everything; the passwords
# are random per stack folder. What Cairn needs to connect is written to $secure_dir/cairn.env.

secure_dir="$stack_dir/secure"
kafka_sasl_port=${CAIRN_STACK_KAFKA_SASL_PORT:-9094}
kafka_mtls_port=${CAIRN_STACK_KAFKA_MTLS_PORT:-9095}
es_tls_port=${CAIRN_STACK_ES_TLS_PORT:-9201}
nginx_dir="$stack_dir/nginx"
kafka_user=cairn
kafka_plain_user=cairn-plain
es_proxy_user=cairn

secure_openssl() { openssl "$@" >/dev/null 2>&1 || die "openssl $1 failed while making the stack's certificates"; }
random_secret() { openssl rand -hex 24; }

# CA, a server certificate for 127.0.0.1/localhost, a client certificate; all EC P-256.
make_pki() {
  [ -f "$secure_dir/ready" ] && return 0
  command -v openssl >/dev/null || die "the stack's TLS needs openssl on PATH"
  rm -rf "$secure_dir"; mkdir -p "$secure_dir"; chmod 700 "$secure_dir"
  (
    cd "$secure_dir"
    secure_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
    secure_openssl req -x509 -new -key ca.key -subj "/CN=Cairn local stack CA" -days 825 -out ca.pem
    local name
    for name in server client; do
      secure_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$name.key"
    done
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    secure_openssl req -new -key server.key -subj "/CN=localhost" -out server.csr
    secure_openssl req -new -key client.key -subj "/CN=cairn-client/O=Cairn local stack" -out client.csr
    for name in server client; do
      secure_openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
        -extfile "$name.ext" -out "$name.pem"
    done
    # Kafka reads a PEM keystore as key and certificate chain in one file.
    cat server.key server.pem >kafka-keystore.pem
    random_secret >kafka-password
    random_secret >kafka-plain-password
    random_secret >es-password
    random_secret >es-api-key
    chmod 600 ./*.key ./*-password es-api-key kafka-keystore.pem
  )
  touch "$secure_dir/ready"
}

# Lines for server.properties: the secure listeners and their TLS and SASL settings.
kafka_secure_properties() {
  cat <<EOF
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$secure_dir/kafka-keystore.pem
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$kafka_plain_user="$(cat "$secure_dir/kafka-plain-password")";
listener.name.ssl.ssl.keystore.type=PEM
listener.name.ssl.ssl.keystore.location=$secure_dir/kafka-keystore.pem
listener.name.ssl.ssl.truststore.type=PEM
listener.name.ssl.ssl.truststore.location=$secure_dir/ca.pem
listener.name.ssl.ssl.client.auth=required
EOF
}

kafka_listeners() { echo "PLAINTEXT://$kafka_host:$kafka_port,SASL_SSL://$kafka_host:$kafka_sasl_port,SSL://$kafka_host:$kafka_mtls_port"; }
kafka_protocol_map() { echo "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL"; }

# SCRAM users are created when the storage is formatted (KIP-900); a storage formatted before the
# secure listeners existed gets them once through ConfigCommand on the plain listener instead.
kafka_scram_format_args() {
  local password; password=$(cat "$secure_dir/kafka-password")
  printf -- '--add-scram\nSCRAM-SHA-256=[name=%s,password=%s]\n--add-scram\nSCRAM-SHA-512=[name=%s,password=%s]\n' \
    "$kafka_user" "$password" "$kafka_user" "$password"
}

ensure_scram_users() {
  [ -f "$kafka_dir/scram-users" ] && return 0
  local password mechanism; password=$(cat "$secure_dir/kafka-password")
  # One mechanism per request: the broker refuses two changes to one user's credentials at once.
  # The log holds the password, so it is private and removed once the users exist.
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    (umask 077; java -cp "$kafka_home/lib/*" kafka.admin.ConfigCommand --bootstrap-server "$kafka_host:$kafka_port" \
      --alter --entity-type users --entity-name "$kafka_user" --add-config "$mechanism=[password=$password]" \
      >"$kafka_dir/scram.log" 2>&1) || die "could not create Kafka's SCRAM users: $kafka_dir/scram.log"
  done
  rm -f "$kafka_dir/scram.log"
  touch "$kafka_dir/scram-users"
}

# --- nginx in front of Elasticsearch --------------------------------------------------------

nginx_healthy() {
  curl -fsS --max-time 5 --cacert "$secure_dir/ca.pem" -u "$es_proxy_user:$(cat "$secure_dir/es-password")" \
    "https://127.0.0.1:$es_tls_port/_cluster/health" >/dev/null 2>&1
}

write_nginx_config() {
  mkdir -p "$nginx_dir/tmp"
  local basic api_key
  basic=$(printf '%s:%s' "$es_proxy_user" "$(cat "$secure_dir/es-password")" | base64 -w0)
  api_key=$(cat "$secure_dir/es-api-key")
  cat >"$nginx_dir/nginx.conf" <<EOF
# Written by tools/local-stack/secure.sh: TLS and authentication in front of the local Elasticsearch.
daemon on;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log warn;
worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $nginx_dir/tmp/body;
  proxy_temp_path $nginx_dir/tmp/proxy;
  fastcgi_temp_path $nginx_dir/tmp/fastcgi;
  uwsgi_temp_path $nginx_dir/tmp/uwsgi;
  scgi_temp_path $nginx_dir/tmp/scgi;
  client_max_body_size 200m;
  map_hash_bucket_size 256;
  # A verified client certificate, the basic credentials or the API key: anything else is 401.
  map "\$ssl_client_verify \$http_authorization" \$cairn_allowed {
    default 0;
    "~^SUCCESS " 1;
    "NONE Basic $basic" 1;
    "NONE ApiKey $api_key" 1;
  }
  upstream elasticsearch { server 127.0.0.1:$es_port; keepalive 16; }
  server {
    listen 127.0.0.1:$es_tls_port ssl;
    ssl_certificate $secure_dir/server.pem;
    ssl_certificate_key $secure_dir/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_client_certificate $secure_dir/ca.pem;
    ssl_verify_client optional;
    location / {
      if (\$cairn_allowed = 0) { return 401 '{"error":"authentication required"}'; }
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_pass http://elasticsearch;
    }
  }
}
EOF
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

start_nginx() {
  if pid_alive "$nginx_dir/nginx.pid" && nginx_healthy; then log "nginx already running (pid $(cat "$nginx_dir/nginx.pid"))"; return; fi
  bash "$repo/tools/receivers/install-nginx.sh" >/dev/null || die "nginx is missing and could not be installed"
  if ! pid_alive "$nginx_dir/nginx.pid" && port_open "$es_tls_port"; then
    die "port $es_tls_port is taken by a process this script did not start; stop it or set CAIRN_STACK_ES_TLS_PORT"
  fi
  write_nginx_config
  "$(nginx_bin)" -t -q -c "$nginx_dir/nginx.conf" -p "$nginx_dir" >"$nginx_dir/check.log" 2>&1 \
    || die "nginx rejected its configuration: $nginx_dir/check.log"
  "$(nginx_bin)" -c "$nginx_dir/nginx.conf" -p "$nginx_dir" || die "nginx did not start: $nginx_dir/error.log"
  started_here+=(nginx)
  log "nginx starting (pid $(cat "$nginx_dir/nginx.pid" 2>/dev/null || echo '?')): Elasticsearch over TLS on 127.0.0.1:$es_tls_port"
}

write_secure_env() {
  cat >"$secure_dir/cairn.env" <<EOF
# Written by tools/local-stack/secure.sh: Cairn against the secure local stack.
KAFKA_BROKERS=$kafka_host:$kafka_sasl_port
KAFKA_TLS_CA_FILE=$secure_dir/ca.pem
KAFKA_SASL_MECHANISM=scram-sha-512
KAFKA_SASL_USERNAME=$kafka_user
KAFKA_SASL_PASSWORD_FILE=$secure_dir/kafka-password
ELASTICSEARCH_URL=https://localhost:$es_tls_port
ELASTICSEARCH_CA_FILE=$secure_dir/ca.pem
ELASTICSEARCH_USERNAME=$es_proxy_user
ELASTICSEARCH_PASSWORD_FILE=$secure_dir/es-password
EOF
}
