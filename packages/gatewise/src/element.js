// <gatewise-error> for browsers and bundlers: `import 'gatewise/element'` loads the core
// and registers the element (after the core is ready, so elements already in the page
// upgrade with their texts).
import './init.web.js';
import { GatewiseErrorElement } from './element-core.js';

GatewiseErrorElement.define();

export { GatewiseErrorElement };
