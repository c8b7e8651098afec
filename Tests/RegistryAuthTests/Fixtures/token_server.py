#!/usr/bin/python3
"""Token server for RegistryAuth's tests (Docker registry token auth, distribution 2.8).

GET /token checks Basic credentials and answers {"token", "access_token", "refresh_token"}: an
RS256 JWT whose x5c header carries the certificate of the registry's rootcertbundle, with the
claims distribution checks (iss, aud, exp, nbf, access) and the others (sub, iat, jti).
Wrong credentials get a 401 with a Basic challenge and a JSON error body.

Other paths serve the odd registries the tests need:
  /v2/ with --v2-redirect URL     302 to URL
  /v2/ with --v2-challenge VALUE  401 with WWW-Authenticate: VALUE
  /notjson                        200 with an HTML page

Binds 127.0.0.1 on a free port and prints "PORT <n>" on stdout. Every request is appended to
--log as one JSON line (path, query, whether an Authorization header came).
"""
import argparse, base64, json, secrets, sys, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

parser = argparse.ArgumentParser()
parser.add_argument("--key", required=True)
parser.add_argument("--cert", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--issuer", default="credtool-test")
parser.add_argument("--log", required=True)
parser.add_argument("--v2-redirect")
parser.add_argument("--v2-challenge")
args = parser.parse_args()

with open(args.key, "rb") as f:
    KEY = serialization.load_pem_private_key(f.read(), password=None)
with open(args.cert, "rb") as f:
    CERT_DER = x509.load_pem_x509_certificate(f.read()).public_bytes(serialization.Encoding.DER)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(service: str, subject: str, access: list) -> str:
    header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(CERT_DER).decode()]}
    now = int(time.time())
    claims = {"iss": args.issuer, "sub": subject, "aud": service, "exp": now + 300, "nbf": now - 10,
              "iat": now, "jti": secrets.token_hex(8), "access": access}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = KEY.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def access_for(scopes: list) -> list:
    access = []
    for scope in scopes:
        for item in scope.split(" "):
            parts = item.split(":")
            if len(parts) >= 3:  # type:name:actions, and the name may hold a port's colon
                access.append({"type": parts[0], "name": ":".join(parts[1:-1]), "actions": parts[-1].split(",")})
    return access


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send(self, status, body, content_type="application/json", headers=()):
        data = body.encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        with open(args.log, "a") as log:
            log.write(json.dumps({"host": self.headers.get("Host"), "path": url.path, "query": query,
                                  "authorization": self.headers.get("Authorization") is not None}) + "\n")
        if url.path == "/token":
            expected = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": "invalid username or password"}]})
                return self.send(401, body, headers=[("WWW-Authenticate", 'Basic realm="credtool-test"')])
            token = jwt(query.get("service", [""])[0], args.user, access_for(query.get("scope", [])))
            refresh = "refresh-" + secrets.token_hex(8)
            return self.send(200, json.dumps({"token": token, "access_token": token, "refresh_token": refresh,
                                               "expires_in": 300}))
        if url.path == "/notjson":
            return self.send(200, "<html><body>sign in</body></html>", content_type="text/html")
        if url.path == "/v2/" and args.v2_redirect:
            return self.send(302, "", headers=[("Location", args.v2_redirect)])
        if url.path == "/v2/" and args.v2_challenge:
            return self.send(401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}',
                             headers=[("WWW-Authenticate", args.v2_challenge),
                                      ("Docker-Distribution-API-Version", "registry/2.0")])
        self.send(404, '{"errors":[{"code":"NOT_FOUND","message":"not found"}]}')

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
