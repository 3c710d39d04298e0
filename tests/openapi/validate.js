#!/usr/bin/env node
// Validates an OpenAPI document file with @apidevtools/swagger-parser: the document against the
// OpenAPI schema of its version (3.1 included) and every $ref resolved.
// Exit status: 0 valid, 1 invalid, 2 bad usage. Used by tests/e2e/test_openapi.py.
"use strict";
const SwaggerParser = require("@apidevtools/swagger-parser");

async function main(args) {
    if (args.length !== 1) {
        console.error("usage: validate.js OPENAPI.json");
        return 2;
    }
    try {
        const api = await SwaggerParser.validate(args[0]);
        console.log(`valid: OpenAPI ${api.openapi}, ${Object.keys(api.paths || {}).length} paths`);
        return 0;
    } catch (error) {
        console.error(`invalid: ${error.message}`);
        return 1;
    }
}

main(process.argv.slice(2)).then((status) => process.exit(status));
