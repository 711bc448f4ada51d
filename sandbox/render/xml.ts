import { listKeyOf, type ResourceDef } from '../resources';
import { asText, isTranslated, type Row } from '../record';
import type { RenderSpec } from './spec';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n';

export function xmlDocument(inner: string): string {
  return `${HEAD}${inner}</prestashop>\n`;
}

function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

const scalar = asText;

/** One record in WebserviceOutputXML's layout (tabs, CDATA, xlink on foreign keys, empty associations kept). */
export function xmlRecord(def: ResourceDef, row: Row, spec: RenderSpec, apiUrl: string): string {
  let out = `<${def.singular}>\n`;
  for (const field of def.fields) {
    if (spec.fields && !spec.fields.has(field)) continue;
    const value = field === 'id' ? row.id : row[field];
    if (isTranslated(value)) {
      out += `\t<${field}>\n`;
      for (const t of value.filter((item) => spec.languages.includes(Number(item.id)))) {
        out += `\t\t<language id="${attr(t.id)}" xlink:href="${apiUrl}languages/${attr(t.id)}">${cdata(t.value)}</language>\n`;
      }
      out += `\t</${field}>\n`;
      continue;
    }
    const text = scalar(value);
    const link = def.links[field];
    const href = link && text !== '' && text !== '0' ? ` xlink:href="${apiUrl}${link}/${attr(text)}"` : '';
    out += `\t<${field}${href}>${cdata(text)}</${field}>\n`;
  }
  const shown = def.associations.filter((a) => spec.associations === 'all' || spec.associations.has(a.name));
  if (shown.length > 0) {
    out += '<associations>\n';
    for (const assoc of shown) {
      const wanted = spec.associations === 'all' ? null : (spec.associations.get(assoc.name) ?? null);
      const items = row.associations?.[assoc.name] ?? [];
      const head = assoc.api
        ? `<${assoc.name} nodeType="${assoc.nodeType}" api="${assoc.api}"`
        : `<${assoc.name} nodeType="${assoc.nodeType}" virtualEntity="true"`;
      if (items.length === 0) {
        out += `${head}/>\n`;
        continue;
      }
      out += `${head}>\n`;
      for (const item of items) {
        const id = item.id ?? '';
        out += assoc.api ? `\t<${assoc.nodeType} xlink:href="${apiUrl}${assoc.api}/${attr(id)}">\n` : `\t<${assoc.nodeType}>\n`;
        for (const field of assoc.fields) {
          if (wanted && !wanted.has(field)) continue;
          out += `\t<${field}>${cdata(item[field] ?? '')}</${field}>\n`;
        }
        out += `\t</${assoc.nodeType}>\n`;
      }
      out += `</${assoc.name}>\n`;
    }
    out += '</associations>\n';
  }
  return `${out}</${def.singular}>\n`;
}

export function xmlIdList(def: ResourceDef, ids: readonly number[], apiUrl: string): string {
  const key = listKeyOf(def);
  let out = `<${key}>\n`;
  for (const id of ids) out += `\t<${def.singular} id="${id}" xlink:href="${apiUrl}${def.name}/${id}"/>\n`;
  return xmlDocument(`${out}</${key}>\n`);
}

export function xmlRecordList(def: ResourceDef, rows: readonly Row[], spec: RenderSpec, apiUrl: string): string {
  const key = listKeyOf(def);
  return xmlDocument(`<${key}>\n${rows.map((row) => xmlRecord(def, row, spec, apiUrl)).join('')}</${key}>\n`);
}

export function xmlErrors(errors: ReadonlyArray<{ code: number; message: string }>): string {
  const items = errors
    .map((e) => `<error>\n<code>${cdata(String(e.code))}</code>\n<message>${cdata(e.message)}</message>\n</error>\n`)
    .join('');
  return xmlDocument(`<errors>\n${items}</errors>\n`);
}

/** GET /api/: the resources this key may use. */
export function xmlRoot(resources: ReadonlyArray<{ name: string; description: string }>, apiUrl: string, shopName: string): string {
  const perms = 'get="true" put="false" post="false" patch="false" delete="false" head="true"';
  const body = resources
    .map(
      (r) =>
        `<${r.name} xlink:href="${apiUrl}${r.name}" ${perms}>\n` +
        `<description xlink:href="${apiUrl}${r.name}" ${perms}>${r.description}</description>\n` +
        `<schema xlink:href="${apiUrl}${r.name}?schema=blank" type="blank"/>\n` +
        `<schema xlink:href="${apiUrl}${r.name}?schema=synopsis" type="synopsis"/>\n` +
        `</${r.name}>\n`,
    )
    .join('');
  return xmlDocument(`<api shopName="${attr(shopName)}">\n${body}</api>\n`);
}
