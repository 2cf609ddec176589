// <gatewise-error> under Node (server-side rendering imports it): loads the core; there is
// no custom element registry to define the element in, so nothing is registered.
import './init.node.js';
import { GatewiseErrorElement } from './element-core.js';

GatewiseErrorElement.define();

export { GatewiseErrorElement };
