import FoveaData
