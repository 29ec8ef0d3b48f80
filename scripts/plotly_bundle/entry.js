// Entry point of the relief-analytics partial plotly.js bundle (built by build.js).
// Only the trace types drawn by relief_analytics.figures and relief_analytics.geo, plus the
// French locale. Keep TRACE_TYPES in build.js in step with this list.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/pie'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/locales/fr'),
]);

module.exports = Plotly;
