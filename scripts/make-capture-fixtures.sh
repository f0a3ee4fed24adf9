#!/bin/sh
# Makes the small real captures tests/capture/*.test.ts read (tests/fixtures/capture/), and the tshark figures
# they are compared against (tests/fixtures/capture/tshark.json, by scripts/capture-tshark.ts).
#
# Run as root from the repository root (captures need CAP_NET_RAW), with tcpdump (`apt-get install -y tcpdump`)
# and Wireshark's dumpcap/editcap/tshark on PATH:   sh scripts/make-capture-fixtures.sh
#
# The traffic is a tiny `ws` 8 exchange on loopback (a server, a client: 'Welcome!', 'Hello', a socket.io-style
# text '42["chat message","Hello"]' and its echo, close 1000 "bye"), once over 127.0.0.1 and once over ::1.
set -eu
OUT=tests/fixtures/capture
REF=/work/shared/reference
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# One exchange: server and client in one Node process, on HOST:PORT; exits when both sides saw the close.
exchange() {
  NODE_PATH="$PWD/node_modules" HOST="$1" PORT="$2" node --input-type=module -e '
import { WebSocketServer, WebSocket } from "ws";
const host = process.env.HOST, port = Number(process.env.PORT);
const wss = new WebSocketServer({ host, port, perMessageDeflate: false });
wss.on("connection", (ws) => {
  ws.send("Welcome!");
  ws.on("message", (m) => {
    const text = String(m);
    if (text === "Hello") ws.send("Hi!");
    else if (text.startsWith("42")) ws.send(`42["chat message","Hi from the server"]`);
  });
});
wss.on("listening", () => {
  const url = host.includes(":") ? `ws://[${host}]:${port}/chat` : `ws://${host}:${port}/chat`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let seen = 0;
  ws.on("message", (m) => {
    seen++;
    const text = String(m);
    if (text === "Welcome!") ws.send("Hello");
    else if (text === "Hi!") ws.send(`42["chat message","Hello"]`);
    else if (seen === 3) ws.close(1000, "bye");
  });
  ws.on("close", () => wss.close());
});
'
}

# Start a capture in the background and wait until it is listening (its output file exists), then run an
# exchange, then stop the capture (SIGINT flushes it) and wait for it to end.
capture() {
  file="$1"; shift
  "$@" &
  pid=$!
  i=0; while [ ! -s "$file" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
  sleep 0.5
}
stop() {
  sleep 0.5
  kill -INT "$1"; wait "$1" || true
}

# tcpdump -i any: LINKTYPE_LINUX_SLL (113) and, with -y, LINKTYPE_LINUX_SLL2 (276). Also one cut at 120 bytes.
capture "$TMP/sll.pcap" tcpdump -U -q -i any -y LINUX_SLL -w "$TMP/sll.pcap" 'tcp port 18090'; p=$!
exchange 127.0.0.1 18090; stop $p; cp "$TMP/sll.pcap" "$OUT/tcpdump-any-sll.pcap"
capture "$TMP/sll2.pcap" tcpdump -U -q -i any -y LINUX_SLL2 -w "$TMP/sll2.pcap" 'tcp port 18090'; p=$!
exchange 127.0.0.1 18090; stop $p; cp "$TMP/sll2.pcap" "$OUT/tcpdump-any-sll2.pcap"
capture "$TMP/snap.pcap" tcpdump -U -q -i any -s 120 -w "$TMP/snap.pcap" 'tcp port 18090'; p=$!
exchange 127.0.0.1 18090; stop $p; cp "$TMP/snap.pcap" "$OUT/tcpdump-any-snaplen120.pcap"

# dumpcap -i any: pcapng (SLL2 on current libpcap); dumpcap -i lo -P: classic pcap, Ethernet; IPv6 over ::1.
capture "$TMP/any.pcapng" dumpcap -q -i any -f 'tcp port 18090' -w "$TMP/any.pcapng"; p=$!
exchange 127.0.0.1 18090; stop $p; cp "$TMP/any.pcapng" "$OUT/dumpcap-any.pcapng"
capture "$TMP/lo.pcap" dumpcap -q -i lo -P -f 'tcp port 18090' -w "$TMP/lo.pcap"; p=$!
exchange 127.0.0.1 18090; stop $p; cp "$TMP/lo.pcap" "$OUT/dumpcap-lo.pcap"
capture "$TMP/v6.pcapng" dumpcap -q -i lo -f 'tcp port 18091' -w "$TMP/v6.pcapng"; p=$!
exchange ::1 18091; stop $p; cp "$TMP/v6.pcapng" "$OUT/dumpcap-lo-ipv6.pcapng"

# The same bytes in other containers: nanosecond pcap, pcapng from pcap, pcap from pcapng.
editcap -F nsecpcap "$OUT/dumpcap-lo.pcap" "$OUT/dumpcap-lo-nsec.pcap"
editcap -F pcapng "$OUT/tcpdump-any-sll.pcap" "$OUT/tcpdump-any-sll.pcapng"
editcap -F pcap "$OUT/dumpcap-lo-ipv6.pcapng" "$OUT/dumpcap-lo-ipv6.pcap"
# Two interfaces with different link types in one pcapng section (Ethernet lo + SLL2 any).
mergecap -F pcapng -w "$OUT/merged-two-links.pcapng" "$OUT/dumpcap-lo.pcap" "$OUT/tcpdump-any-sll2.pcap"
# A Decryption Secrets Block carrying the TLS key log (pcapng §4.7).
editcap --inject-secrets "tls,$REF/routed/chromium-wss.keys" "$REF/routed/chromium-wss.pcap" "$OUT/chromium-wss-dsb.pcapng"

ls -l "$OUT"
# The figures the tests compare with: tshark's TCP frame and stream counts and `follow,tcp,raw` bytes.
npx tsx scripts/capture-perturb.ts
npx tsx scripts/capture-tshark.ts
