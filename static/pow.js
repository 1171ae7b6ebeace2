// Proof of work for the 掲載申請 form (govmap/antiautomation.py): find a decimal nonce such that
// SHA-256("<challenge>:<nonce>") starts with `bits` zero bits, while the vendor fills in the form,
// and hand it to the server with setStateValue.  Plain JavaScript, no network: the SHA-256 below
// hashes the one 64-byte block such a short ASCII message needs.  It works in small slices
// (setTimeout) so the page stays responsive, and stops when a newer challenge arrives.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);

// The first two 32-bit words of SHA-256(msg), for an ASCII msg shorter than 56 characters.
function head(msg) {
  W.fill(0);
  const n = msg.length;
  for (let i = 0; i < n; i++) W[i >> 2] |= msg.charCodeAt(i) << (24 - (i & 3) * 8);
  W[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
  W[15] = n * 8;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15], y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = 0x6a09e667, b = 0xbb67ae85, c = 0x3c6ef372, d = 0xa54ff53a;
  let e = 0x510e527f, f = 0x9b05688c, g = 0x1f83d9ab, h = 0x5be0cd19;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  return [(a + 0x6a09e667) >>> 0, (b + 0xbb67ae85) >>> 0];
}

function solves(words, bits) {
  if (bits <= 0) return true;
  if (bits <= 32) return (words[0] >>> (32 - bits)) === 0;
  return words[0] === 0 && (bits >= 64 ? words[1] === 0 : (words[1] >>> (64 - bits)) === 0);
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  if (!data || typeof data.challenge !== "string" || !/^[0-9a-f]{1,40}$/.test(data.challenge)) return;
  const challenge = data.challenge;
  const bits = Math.max(0, Math.min(64, Number(data.bits) || 0));
  if (parentElement.__govmapPow === challenge) return;  // already working on (or done with) this one
  parentElement.__govmapPow = challenge;
  const prefix = challenge + ":";
  const started = performance.now();
  let nonce = 0;
  function slice() {
    if (parentElement.__govmapPow !== challenge) return;  // a newer challenge replaced this one
    const end = nonce + 20000;
    for (; nonce < end; nonce++) {
      if (solves(head(prefix + nonce), bits)) {
        const ms = Math.round(performance.now() - started);
        globalThis.govmapPowMs = ms;  // read by the browser test to report the solve time
        setStateValue("solution", challenge + ":" + nonce);
        return;
      }
    }
    setTimeout(slice, 0);
  }
  setTimeout(slice, 0);
}
