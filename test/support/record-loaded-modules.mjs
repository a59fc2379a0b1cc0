// `node --import <this file> script`: appends the URL of every module the process loads (ESM and
// CommonJS alike, through the synchronous module hooks) to the file named by LOADED_MODULES_FILE.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.LOADED_MODULES_FILE;
registerHooks({
  load(url, context, nextLoad) {
    appendFileSync(file, `${url}\n`);
    return nextLoad(url, context);
  },
});
