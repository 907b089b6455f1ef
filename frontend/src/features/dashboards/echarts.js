// Apache ECharts, only what the dashboards draw: bars (by unit, stacked levels, year over
// year) and the area radar, with the SVG renderer (crisp on a tablet's screen and in
// print; it sets styles through the DOM, which the Content-Security-Policy allows).
// Imported by the dashboard pages only, so it lands in their own chunk.
import { use, init } from 'echarts/core';
import { BarChart, RadarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, RadarComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, RadarChart, GridComponent, TooltipComponent, LegendComponent, RadarComponent, SVGRenderer]);

export { init };

/** The palette of the series: the unit, its parent, the previous year; then the levels. */
export const COLORS = {
  unit: '#1f5f8b',
  parent: '#9aa9b8',
  previous: '#d08a2c',
};

/** Levels 1..7 from weak (warm) to strong (green), readable side by side. */
export const LEVEL_COLORS = ['#b8433a', '#e09a3e', '#e9cf5a', '#8fbf6a', '#3f8f55', '#2b6f8f', '#4a4f9a'];

export const TEXT = {
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
  fontSize: 13,
  color: '#1c2733',
};
