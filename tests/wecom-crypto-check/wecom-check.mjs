#!/usr/bin/env node
// Plays WeCom's side of the self-built app callback with Tencent's own @wecom/crypto, so the C# implementation is
// checked against an independent one (and, in post/verify-url mode, the running host end to end).
//
// Usage: node wecom-check.mjs <mode> [--name value ...]
//   Without --flags the parameters are read as one JSON object from stdin (keeps Chinese text and keys off argv).
//
// Modes (all print one JSON object on stdout; failures print {"error": "..."} on stderr and exit 1):
//   encrypt     token key corpid plaintext [timestamp nonce randomHex]  -> {encrypt, signature, timestamp, nonce}
//   decrypt     token key corpid (envelope | encrypt signature timestamp nonce)
//               -> {plaintext, id, signatureValid}; the signature is taken from the envelope's MsgSignature/TimeStamp/
//               Nonce when an envelope is given. Exits 1 when the signature or the receive id is wrong.
//   post        url token key corpid fromUser text [agentId msgId createTime timestamp nonce]
//               -> {status, body, reply}: POSTs an encrypted text callback exactly as WeCom does; when the response is
//               an encrypted envelope, verifies its MsgSignature and decrypts it (reply = plaintext XML, else null).
//   verify-url  url token key corpid [echo timestamp nonce]
//               -> {status, body, expected, ok}: the GET URL verification with an encrypted echostr.
import { randomBytes, randomInt } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

function fail(message) {
  process.stderr.write(`${JSON.stringify({ error: message })}\n`);
  process.exit(1);
}

async function readParams(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i += 1) {
    if (!argv[i].startsWith('--')) fail(`unexpected argument ${argv[i]}`);
    flags[argv[i].slice(2)] = argv[i + 1] ?? '';
    i += 1;
  }
  if (argv.length > 0) return flags;

  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}

function need(params, ...names) {
  for (const name of names) {
    if (params[name] === undefined || params[name] === null) fail(`missing parameter ${name}`);
  }
}

// Same element rules as WeCom's XML: CDATA optional, first element of a name wins.
function xmlText(xml, name) {
  const match = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  if (!match) return undefined;
  return match[1] ?? match[2];
}

function cdata(value) {
  return `<![CDATA[${String(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

const now = () => String(Math.floor(Date.now() / 1000));
const newNonce = () => String(randomInt(100000000, 2000000000));

function encryptMode(p) {
  need(p, 'token', 'key', 'corpid', 'plaintext');
  const timestamp = String(p.timestamp ?? now());
  const nonce = String(p.nonce ?? newNonce());
  const random = p.randomHex ? Buffer.from(p.randomHex, 'hex') : undefined;
  const encrypted = encrypt(p.key, p.plaintext, p.corpid, random);
  return { encrypt: encrypted, signature: getSignature(p.token, timestamp, nonce, encrypted), timestamp, nonce };
}

// Verifies and decrypts; returns {plaintext, id, signatureValid} or throws with a reason.
function open(p, encrypted, signature, timestamp, nonce) {
  const signatureValid = getSignature(p.token, timestamp, nonce, encrypted) === signature;
  if (!signatureValid) throw new Error('signature mismatch');
  const { message, id } = decrypt(p.key, encrypted);
  if (id !== p.corpid) throw new Error('receive id mismatch');
  return { plaintext: message, id, signatureValid };
}

function decryptMode(p) {
  need(p, 'token', 'key', 'corpid');
  if (p.envelope !== undefined) {
    const env = p.envelope;
    const encrypted = xmlText(env, 'Encrypt');
    if (encrypted === undefined) throw new Error('envelope has no Encrypt');
    return open(p, encrypted, xmlText(env, 'MsgSignature'), xmlText(env, 'TimeStamp'), xmlText(env, 'Nonce'));
  }
  need(p, 'encrypt', 'signature', 'timestamp', 'nonce');
  return open(p, p.encrypt, p.signature, String(p.timestamp), String(p.nonce));
}

async function postMode(p) {
  need(p, 'url', 'token', 'key', 'corpid', 'fromUser', 'text');
  const timestamp = String(p.timestamp ?? now());
  const nonce = String(p.nonce ?? newNonce());
  const agentId = String(p.agentId ?? '1000002');
  const createTime = String(p.createTime ?? timestamp);
  const msgId = String(p.msgId ?? `${Date.now()}${randomInt(100000, 999999)}`);
  const plaintext = `<xml><ToUserName>${cdata(p.corpid)}</ToUserName><FromUserName>${cdata(p.fromUser)}</FromUserName>`
    + `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(p.text)}</Content>`
    + `<MsgId>${msgId}</MsgId><AgentID>${agentId}</AgentID></xml>`;
  const encrypted = encrypt(p.key, plaintext, p.corpid, randomBytes(16));
  const signature = getSignature(p.token, timestamp, nonce, encrypted);
  const body = `<xml><ToUserName>${cdata(p.corpid)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt>`
    + `<AgentID>${cdata(agentId)}</AgentID></xml>`;

  const url = new URL(p.url);
  url.searchParams.set('msg_signature', signature);
  url.searchParams.set('timestamp', timestamp);
  url.searchParams.set('nonce', nonce);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
  const responseBody = await response.text();

  let reply = null;
  const replyEncrypt = xmlText(responseBody, 'Encrypt');
  if (replyEncrypt !== undefined) {
    reply = open(
      p,
      replyEncrypt,
      xmlText(responseBody, 'MsgSignature'),
      xmlText(responseBody, 'TimeStamp'),
      xmlText(responseBody, 'Nonce'),
    ).plaintext;
  }
  return { status: response.status, body: responseBody, reply };
}

async function verifyUrlMode(p) {
  need(p, 'url', 'token', 'key', 'corpid');
  const timestamp = String(p.timestamp ?? now());
  const nonce = String(p.nonce ?? newNonce());
  const expected = String(p.echo ?? `${randomInt(100000000, 999999999)}${randomInt(1000000000, 2000000000)}`);
  const echostr = encrypt(p.key, expected, p.corpid, randomBytes(16));

  const url = new URL(p.url);
  // URLSearchParams percent-encodes '+', '/' and '=' as WeCom does.
  url.searchParams.set('msg_signature', getSignature(p.token, timestamp, nonce, echostr));
  url.searchParams.set('timestamp', timestamp);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('echostr', echostr);
  const response = await fetch(url);
  const body = await response.text();
  return { status: response.status, body, expected, ok: response.status === 200 && body === expected };
}

const modes = { encrypt: encryptMode, decrypt: decryptMode, post: postMode, 'verify-url': verifyUrlMode };
const [mode, ...rest] = process.argv.slice(2);
if (!modes[mode]) fail(`mode must be one of ${Object.keys(modes).join(', ')}`);

try {
  const result = await modes[mode](await readParams(rest));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
