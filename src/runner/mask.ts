/**
 * Secret masking. The runner hides a value from the log only after it has
 * read `::add-mask::<value>`, and only in the exact form registered; so each
 * secret is registered the moment it is read or received, in every form this
 * action (or a library under it) could print: as is, each of its lines,
 * URL-encoded (`encodeURIComponent`), form-encoded
 * (`application/x-www-form-urlencoded`, RFC 6749 §4.4.2 request body) and
 * JSON-escaped (the inside of a JSON string, as JavaScript, Java, PHP and
 * .NET servers each escape it; see {@link secretForms}).
 */
import type { Mask, RedactOptions } from '../client/request.ts';

/** A function that registers one value with the runner (`core.setSecret`). */
export type SetSecret = (value: string) => void;

/** Registers a secret in all its forms; returns the secret unchanged. */
export type { Mask, RedactOptions };

/**
 * Every form of `secret` that must be masked, without duplicates or empty
 * strings: the whole value, the value trimmed, each non-blank line, and the
 * URL-encoded, form-encoded and JSON-escaped forms of each of those. The
 * percent-encoded forms come with upper-case hex digits (`%2F`, as
 * `encodeURIComponent` writes them) and lower-case ones (`%2f`, as many
 * servers echo them; RFC 3986 §2.1 makes both equivalent), and the URL-encoded
 * form also with `! ' ( ) *` escaped (RFC 3986's reserved set).
 *
 * The JSON-escaped forms (servers escape a string differently; RFC 8259 §7
 * allows any character as `\uXXXX`) are, for each of those:
 * - `JSON.stringify`'s: `"` `\` as `\"` `\\`, control characters as `\b \t \n \f \r`
 *   or `\u00xx` (lower-case hex, as it writes them), everything else as is;
 * - the same with every `/` as `\/` (Java and PHP encoders);
 * - .NET's default encoder (`System.Text.Json`, Microsoft Graph): `"` `&` `'` `+` `<` `>`
 *   `` ` ``, U+007F and every non-ASCII character as `\uXXXX` (one per UTF-16 code unit),
 *   `\` as `\\`, control characters as `\b \t \n \f \r` or `\u00XX`, `/` as is; and the
 *   same with every `/` as `\/` (as a log showed one: `Pa\u002Bss\/w\u003Crd`);
 * - every character that is not an ASCII letter or digit as `\uXXXX`;
 *
 * the .NET and all-escaped forms each with upper-case hex digits (as .NET writes them) and
 * with lower-case ones.
 */
export function secretForms(secret: string): string[] {
  const bases = new Set<string>([secret, secret.trim()]);
  for (const line of secret.split(/\r\n|\r|\n/u)) {
    bases.add(line);
    bases.add(line.trim());
  }
  const forms = new Set<string>();
  for (const base of bases) {
    if (base.trim() === '') continue;
    forms.add(base);
    const uri = safeEncodeURIComponent(base);
    // RFC 3986 §2.2 also reserves ! ' ( ) *, which encodeURIComponent leaves as they are.
    const strict = uri.replace(/[!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    for (const encoded of [uri, strict, new URLSearchParams({ v: base }).toString().slice(2)]) {
      forms.add(encoded);
      forms.add(encoded.replace(/%[0-9A-F]{2}/gu, (escape) => escape.toLowerCase()));
    }
    const json = JSON.stringify(base).slice(1, -1);
    forms.add(json);
    // JSON.stringify writes `/` only as itself, never inside an escape.
    forms.add(json.replaceAll('/', '\\/'));
    for (const upper of [true, false]) {
      const dotNet = dotNetEscaped(base, upper);
      forms.add(dotNet);
      forms.add(dotNet.replaceAll('/', '\\/'));
      forms.add(allEscaped(base, upper));
    }
  }
  return [...forms].filter((form) => form.trim() !== '');
}

/**
 * Creates the action's {@link Mask}: each distinct form is registered once
 * with `setSecret`, in the order {@link secretForms} gives (the raw value first).
 */
export function createMask(setSecret: SetSecret): Mask {
  const registered = new Set<string>();
  return (secret: string): string => {
    for (const form of secretForms(secret)) {
      if (registered.has(form)) continue;
      registered.add(form);
      setSecret(form);
    }
    return secret;
  };
}

/**
 * Replaces every occurrence of each of `forms` in `text` by `***`, longest
 * form first, as the runner does with registered masks. For text the runner
 * will not mask as is: server text about to be shortened or reflowed, files.
 */
export function redact(text: string, forms: Iterable<string>, options: RedactOptions = {}): string {
  let out = text;
  for (const form of [...new Set(forms)].filter((f) => f !== '').sort((a, b) => b.length - a.length)) {
    out = options.ignoreCase
      ? out.replace(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'), 'giu'), '***')
      : out.split(form).join('***');
  }
  return out;
}

/** `\uXXXX` for one UTF-16 code unit, with upper- or lower-case hex digits. */
function unicodeEscape(unit: number, upper: boolean): string {
  const hex = unit.toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

/** The escapes JSON.stringify writes for control characters that have a short one. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * The inside of a JSON string as .NET's default `JavaScriptEncoder` writes it: `"` `&` `'` `+`
 * `<` `>` `` ` ``, U+007F and every non-ASCII UTF-16 code unit as `\uXXXX`, `\` as `\\`,
 * control characters as JSON.stringify writes them, `/` as is; hex digits upper-case (as .NET
 * writes them) or lower-case.
 */
function dotNetEscaped(value: string, upper: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    const unit = value.charCodeAt(i);
    if (c === '\\') out += '\\\\';
    else if (SHORT_ESCAPES[c] !== undefined) out += SHORT_ESCAPES[c];
    else if (unit < 0x20 || unit >= 0x7f || `"&'+<>\``.includes(c)) out += unicodeEscape(unit, upper);
    else out += c;
  }
  return out;
}

/** Every UTF-16 code unit that is not an ASCII letter or digit as `\uXXXX`, upper- or lower-case hex. */
function allEscaped(value: string, upper: boolean): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    out += /[A-Za-z0-9]/u.test(c) ? c : unicodeEscape(value.charCodeAt(i), upper);
  }
  return out;
}

// encodeURIComponent throws on lone surrogates; the form-encoder replaces them.
function safeEncodeURIComponent(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}
