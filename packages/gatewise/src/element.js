// <gatewise-error> for browsers and bundlers: `import 'gatewise/element'` registers the element
// at once and loads nothing more; the core loads when the first element is connected (or
// `init()` is called), and elements render as soon as it is ready.
import './init.web.js';
import { GatewiseErrorElement } from './element-core.js';

GatewiseErrorElement.define();

export { GatewiseErrorElement };
