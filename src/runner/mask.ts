/**
 * Secret masking. The runner hides a value from the log only after it has
 * read `::add-mask::<value>`, and only in the exact form registered; so each
 * secret is registered the moment it is read or received, in every form this
 * action (or a library under it) could print: as is, each of its lines,
 * URL-encoded (`encodeURIComponent`), form-encoded
 * (`application/x-www-form-urlencoded`, RFC 6749 §4.4.2 request body) and
 * JSON-escaped (the inside of a JSON string).
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
    forms.add(JSON.stringify(base).slice(1, -1));
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

// encodeURIComponent throws on lone surrogates; the form-encoder replaces them.
function safeEncodeURIComponent(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}
