// `cargo xtask dev` runs this next to `wrangler dev`: the Shopify stand-in with
// the English demo shop's data on a fixed loopback port, so that "Prepare answer"
// works on a local demo as it does in the e2e tests (the Worker reaches it through
// the SHOPIFY_ORIGIN var and the stand-in's client id and secret in .dev.vars).
import { startShopifyStandin } from './shopify-standin.mjs';
import { shopifyDemo } from './fixtures/shopify-demo.mjs';

const port = Number(process.argv[2] ?? 8788);
const standin = await startShopifyStandin({ ...shopifyDemo(), port });
console.log(`Shopify stand-in (demo-en's store) on ${standin.origin}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => standin.close().then(() => process.exit(0)));
