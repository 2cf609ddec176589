// www/dist/element.js: <gatewise-error status="502"> for any site, from the npm package
// (the same element, the same core texts as the error page). Load it as a module:
//   <script type="module" src="https://your-site/__gatewise/element.js"></script>
export { GatewiseErrorElement } from 'gatewise/element';
