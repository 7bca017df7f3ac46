import pkg from '../../package.json' with { type: 'json' };

export const APP_NAME = 'Uplift 环保绩效提级帮扶助手';
export const APP_VERSION: string = pkg.version;
