// Resolves the @cairn/* path aliases to the benchmark build in dist/bench (node -r this-file).
'use strict';
const path = require('node:path');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.json');

register({ baseUrl: path.join(__dirname, '..', '..', 'dist', 'bench'), paths: compilerOptions.paths });
