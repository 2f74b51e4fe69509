// Registers json-import-loader.mjs for the whole process: `node --import ./register-json-loader.mjs ...`.
import { register } from "node:module";

register("./json-import-loader.mjs", import.meta.url);
