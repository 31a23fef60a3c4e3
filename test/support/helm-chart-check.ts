import type { YamlValue } from './yaml-subset';

/**
 * Static checks of a Helm chart's templates, for a machine without `helm`: which `.Values` paths
 * the templates read, whether their blocks are balanced, and whether every included template is
 * defined. Paths are seen when written absolute (`.Values.a.b` or `$.Values.a.b`); a path relative to
 * a `with` or `range` (`.b` inside `with .Values.a`) is not checked, and forms that hide a path from
 * this check (`index .Values "a"`, `$root.Values.a`) are reported as problems so none slips through.
 */
export interface ValuesReference {
  file: string;
  line: number;
  path: string[];
}

export interface TemplateFile {
  file: string;
  source: string;
}

interface Action {
  line: number;
  body: string;
}

/** The `{{ ... }}` actions of a template, without trim markers; comments left out. */
function actions(source: string): Action[] {
  const found: Action[] = [];
  for (const match of source.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const body = match[1].trim();
    if (body.startsWith('/*')) continue;
    found.push({ line: source.slice(0, match.index).split('\n').length, body });
  }
  return found;
}

export function valuesReferences(template: TemplateFile): {
  references: ValuesReference[];
  problems: string[];
} {
  const references: ValuesReference[] = [];
  const problems: string[] = [];
  for (const action of actions(template.source)) {
    const where = `${template.file}:${action.line}`;
    for (const match of action.body.matchAll(/(^|[^\w$.])\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g)) {
      const path = match[2].split('.').filter((part) => part !== '');
      if (path.length === 0) problems.push(`${where}: .Values used whole; name the path it needs`);
      else references.push({ file: template.file, line: action.line, path });
    }
    if (/\$\w+\.Values\b/.test(action.body))
      problems.push(`${where}: a variable's .Values is not checked; write $.Values.a.b instead`);
    if (/\bindex\s+\$?\.Values\b/.test(action.body))
      problems.push(`${where}: index .Values "..." is not checked; write .Values.a.b instead`);
  }
  return { references, problems };
}

function isMapping(value: YamlValue | undefined): value is { [key: string]: YamlValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each reference whose path does not exist in the values, with the first missing key. */
export function missingValues(values: { [key: string]: YamlValue }, references: ValuesReference[]): string[] {
  const missing: string[] = [];
  for (const reference of references) {
    let node: YamlValue = values;
    for (let depth = 0; depth < reference.path.length; depth++) {
      const key = reference.path[depth];
      if (!isMapping(node) || !Object.prototype.hasOwnProperty.call(node, key)) {
        const parent = reference.path.slice(0, depth).join('.') || '(top level)';
        missing.push(
          `${reference.file}:${reference.line}: .Values.${reference.path.join('.')} does not exist in values.yaml (no "${key}" in ${parent})`,
        );
        break;
      }
      node = node[key];
    }
  }
  return missing;
}

/**
 * Values no template reads: a leaf (scalar, list or empty map) is read when a template names it or
 * a map that holds it (`toYaml .Values.api.resources` reads every resource setting).
 */
export function unusedValues(values: { [key: string]: YamlValue }, references: ValuesReference[]): string[] {
  const used = new Set(references.map((reference) => reference.path.join('.')));
  const unused: string[] = [];
  const walk = (node: YamlValue, path: string[]) => {
    if (path.length > 0 && path.some((_, index) => used.has(path.slice(0, index + 1).join('.')))) return;
    if (isMapping(node) && Object.keys(node).length > 0) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    } else {
      unused.push(path.join('.'));
    }
  };
  walk(values, []);
  return unused;
}

/** Unbalanced `if`/`with`/`range`/`define`/`block` ... `end`, and `else` outside a block. */
export function blockProblems(template: TemplateFile): string[] {
  const open: Action[] = [];
  const problems: string[] = [];
  for (const action of actions(template.source)) {
    const keyword = /^(\w+)/.exec(action.body)?.[1];
    if (keyword && ['if', 'with', 'range', 'define', 'block'].includes(keyword)) open.push(action);
    else if (keyword === 'end' && !open.pop())
      problems.push(`${template.file}:${action.line}: {{ end }} closes nothing`);
    else if (keyword === 'else' && open.length === 0)
      problems.push(`${template.file}:${action.line}: {{ else }} outside a block`);
  }
  for (const action of open)
    problems.push(
      `${template.file}:${action.line}: {{ ${action.body.split(/\s/)[0]} }} is never closed by {{ end }}`,
    );
  return problems;
}

/** `include "x"` or `template "x"` of a template no file defines. */
export function undefinedTemplates(templates: TemplateFile[]): string[] {
  const defined = new Set<string>();
  for (const template of templates)
    for (const match of template.source.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)) defined.add(match[1]);
  const problems: string[] = [];
  for (const template of templates) {
    for (const action of actions(template.source)) {
      for (const match of action.body.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)) {
        if (!defined.has(match[1]))
          problems.push(`${template.file}:${action.line}: "${match[1]}" is not defined`);
      }
    }
  }
  return problems;
}
