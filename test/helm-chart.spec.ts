import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import {
  blockProblems,
  missingValues,
  TemplateFile,
  undefinedTemplates,
  unusedValues,
  valuesReferences,
} from './support/helm-chart-check';
import { parseYamlSubset, YamlSubsetError, YamlValue } from './support/yaml-subset';

// `helm` is not installed where CI runs, so the chart is checked statically: values.yaml against
// values.schema.json, and every .Values path in the templates against values.yaml.
const ROOT = path.resolve(__dirname, '../..');
const CHART = path.join(ROOT, 'helm/caravan');
const TEMPLATES = path.join(CHART, 'templates');

const read = (file: string) => fs.readFileSync(file, 'utf8');
const values = parseYamlSubset(read(path.join(CHART, 'values.yaml')));
const schema = JSON.parse(read(path.join(CHART, 'values.schema.json'))) as object;
const templates: TemplateFile[] = fs
  .readdirSync(TEMPLATES)
  .sort()
  .map((file) => ({ file: `templates/${file}`, source: read(path.join(TEMPLATES, file)) }));

function validator() {
  // strict: an unknown keyword or a mistyped schema is an error here, as it would silently be in Helm.
  return new Ajv({ allErrors: true, strict: true }).compile(schema);
}

/** values.yaml with one setting changed, as `--set` would. */
function valuesWith(dotted: string, value: YamlValue): YamlValue {
  const copy = structuredClone(values) as { [key: string]: YamlValue };
  const keys = dotted.split('.');
  let node = copy as { [key: string]: YamlValue };
  for (const key of keys.slice(0, -1)) node = node[key] as { [key: string]: YamlValue };
  node[keys[keys.length - 1]] = value;
  return copy;
}

function allReferences() {
  const results = templates.map(valuesReferences);
  return {
    references: results.flatMap((result) => result.references),
    problems: results.flatMap((result) => result.problems),
  };
}

describe('Helm chart helm/caravan', () => {
  it('has a values.yaml that the schema accepts', () => {
    const validate = validator();
    assert.ok(validate(values), JSON.stringify(validate.errors, null, 2));
  });

  it('has a schema that refuses misspelt keys and wrong types at every level', () => {
    const validate = validator();
    const cases: [string, YamlValue][] = [
      ['replica', 3],
      ['api.replica', 3],
      ['agent.autoscaling.maxReplica', 3],
      ['redis.sentinel.host', ['a:26379']],
      ['api.replicas', '3'],
      ['caravan.logLevel', 'verbose'],
      ['caravan.encryptionKey', 'too-short'],
      ['postgresql.url', 'mysql://db/caravan'],
      ['egress.allowedPorts', []],
      ['caravan.extraEnv', { 'lower-case': 'x' }],
    ];
    for (const [key, value] of cases)
      assert.equal(validate(valuesWith(key, value)), false, `${key}: ${JSON.stringify(value)} is refused`);
  });

  it('closes every object in the schema to unknown keys, unless it is a free-form map', () => {
    const open: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (typeof node !== 'object' || node === null) return;
      const schemaNode = node as Record<string, unknown>;
      if (schemaNode.properties && schemaNode.additionalProperties !== false) open.push(at);
      for (const [key, child] of Object.entries(schemaNode)) walk(child, `${at}/${key}`);
    };
    walk(schema, '#');
    assert.deepEqual(open, []);
  });

  it('reads in its templates only .Values paths that exist in values.yaml', () => {
    const { references, problems } = allReferences();
    assert.deepEqual(problems, []);
    assert.ok(references.length > 100, `found ${references.length} references: the scan works`);
    assert.deepEqual(missingValues(values, references), []);
  });

  it('has no value in values.yaml that no template reads', () => {
    assert.deepEqual(unusedValues(values, allReferences().references), []);
  });

  it('has balanced template blocks and includes only defined templates', () => {
    assert.deepEqual(templates.flatMap(blockProblems), []);
    assert.deepEqual(undefinedTemplates(templates), []);
  });

  it('sets only environment variables that Caravan reads', () => {
    const config = read(path.join(ROOT, 'libs/common/src/config/caravan-config.ts'));
    const known = new Set(
      [...config.matchAll(/'((?:CARAVAN|DATABASE|REDIS)_[A-Z0-9_]+)'/g)].map((match) => match[1]),
    );
    const set = new Set<string>();
    for (const { source } of templates) {
      for (const match of source.matchAll(/^\s+([A-Z][A-Z0-9_]+):\s/gm)) set.add(match[1]);
      for (const match of source.matchAll(/-\s+name:\s+([A-Z][A-Z0-9_]+)\s*$/gm)) set.add(match[1]);
    }
    assert.ok(
      set.has('DATABASE_URL') && set.has('CARAVAN_EGRESS_PROXY_URL') && set.has('REDIS_SENTINELS'),
      [...set].join(' '),
    );
    assert.deepEqual(
      [...set].filter((name) => !known.has(name)),
      [],
    );
  });

  it('starts processes that the build produces, and follows package.json for appVersion', () => {
    const entries = templates.flatMap(({ source }) =>
      [...source.matchAll(/"(dist\/[^"]+\.js)"/g)].map((match) => match[1]),
    );
    assert.deepEqual(
      new Set(entries),
      new Set([
        'dist/apps/api/src/main.js',
        'dist/apps/agent/src/main.js',
        'dist/apps/egress/src/main.js',
        'dist/libs/database/src/cli/run-migrations.js',
      ]),
    );
    for (const entry of entries) assert.ok(fs.existsSync(path.join(ROOT, entry)), `${entry} is built`);
    const chart = parseYamlSubset(read(path.join(CHART, 'Chart.yaml')));
    const pkg = JSON.parse(read(path.join(ROOT, 'package.json'))) as { version: string };
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.name, 'caravan');
    assert.equal(chart.appVersion, pkg.version);
  });
});

describe('the chart check itself', () => {
  const template = (source: string): TemplateFile => ({ file: 'templates/t.yaml', source });

  it('reports a misspelt path, a path through a scalar, and forms it cannot see', () => {
    const { references, problems } = valuesReferences(
      template(
        [
          'replicas: {{ .Values.api.replica }}',
          '{{- with .Values.api }}{{ .replicas }} {{ $.Values.agent.port.number }}{{- end }}',
          '{{ .Values.api.port }} {{ $root.Values.api.port }} {{ index .Values "api" }} {{ toYaml .Values }}',
          '{{/* .Values.not.checked in a comment */}}',
        ].join('\n'),
      ),
    );
    assert.deepEqual(
      references.map((reference) => `${reference.line}:${reference.path.join('.')}`),
      ['1:api.replica', '2:api', '2:agent.port.number', '3:api.port'],
    );
    assert.deepEqual(missingValues(values, references), [
      'templates/t.yaml:1: .Values.api.replica does not exist in values.yaml (no "replica" in api)',
      'templates/t.yaml:2: .Values.agent.port.number does not exist in values.yaml (no "number" in agent.port)',
    ]);
    assert.deepEqual(problems, [
      "templates/t.yaml:3: a variable's .Values is not checked; write $.Values.a.b instead",
      'templates/t.yaml:3: .Values used whole; name the path it needs',
      'templates/t.yaml:3: index .Values "..." is not checked; write .Values.a.b instead',
      'templates/t.yaml:3: .Values used whole; name the path it needs',
    ]);
  });

  it('reports values no template reads', () => {
    const references = valuesReferences(template('{{ .Values.a.b }} {{ toYaml .Values.c }}')).references;
    const unused = unusedValues({ a: { b: 1, d: 2 }, c: { e: { f: 1 } }, g: {}, h: [] }, references);
    assert.deepEqual(unused, ['a.d', 'g', 'h']);
  });

  it('reports unbalanced blocks and undefined templates', () => {
    assert.deepEqual(blockProblems(template('{{- if .Values.a }}\n{{ range .Values.b }}{{ end }}')), [
      'templates/t.yaml:1: {{ if }} is never closed by {{ end }}',
    ]);
    assert.deepEqual(blockProblems(template('{{ end }}\n{{ else }}')), [
      'templates/t.yaml:1: {{ end }} closes nothing',
      'templates/t.yaml:2: {{ else }} outside a block',
    ]);
    assert.deepEqual(
      undefinedTemplates([template('{{- define "x" -}}{{- end }}{{ include "x" . }}{{ include "y" . }}')]),
      ['templates/t.yaml:1: "y" is not defined'],
    );
  });
});

describe('parseYamlSubset', () => {
  it('reads mappings, sequences, quoted and plain scalars, and comments', () => {
    const parsed = parseYamlSubset(
      [
        '# comment',
        'a:',
        '  b: 1 # trailing comment',
        '  c: "x # not a comment \\u00e9"',
        "  d: 'it''s'",
        '  e: 2Gi',
        '  f:',
        '    - 80',
        '    - name: x',
        '      value: z1',
        '  g: []',
        '  h: {}',
        '  i:',
        'j: -1.5',
        'k: ~',
        'l: false',
        'm: postgres://user:pw@host:5432/db',
      ].join('\n'),
    );
    assert.deepEqual(parsed, {
      a: {
        b: 1,
        c: 'x # not a comment é',
        d: "it's",
        e: '2Gi',
        f: [80, { name: 'x', value: 'z1' }],
        g: [],
        h: {},
        i: null,
      },
      j: -1.5,
      k: null,
      l: false,
      m: 'postgres://user:pw@host:5432/db',
    });
  });

  it('refuses what it does not read the way Helm would, naming the line', () => {
    const refused: [string, RegExp][] = [
      ['a:\n\tb: 1', /line 2: tabs/],
      ['a: yes', /line 1: "yes" is read differently/],
      ['a: 0755', /octal/],
      ['a: &anchor 1', /indicator/],
      ['a: |\n  text', /indicator/],
      ['a: [1, 2]', /flow collections/],
      ['a: 1\na: 2', /line 2: duplicate key "a"/],
      ['a:\n  b: 1\n   c: 2', /line 3: unexpected indentation/],
      ['a:\n- 1', /indent sequence items/],
      ['a: "open', /unterminated/],
      ['a: b: c', /would start a mapping/],
      ['---\na: 1', /document markers/],
    ];
    for (const [source, expected] of refused)
      assert.throws(
        () => parseYamlSubset(source),
        (error: unknown) => error instanceof YamlSubsetError && expected.test(error.message),
        source,
      );
  });
});
